export type {
  BlobMode,
  DefBlob,
  DefBlobVector,
  DefLight,
  DefLightVector,
  DefNumber,
  DefNumberVector,
  DefSwitch,
  DefSwitchVector,
  DefText,
  DefTextVector,
  DefVector,
  DelProperty,
  DriverMessage,
  EnableBlob,
  GetProperties,
  IndiMessage,
  IndiMessageOf,
  IndiMessageType,
  Message,
  NewBlobVector,
  NewNumberVector,
  NewSwitchVector,
  NewTextVector,
  NewVector,
  OneBlob,
  OneLight,
  OneNumber,
  OneSwitch,
  OneText,
  PingReply,
  PingRequest,
  PropertyPerm,
  PropertyState,
  SetBlobVector,
  SetLightVector,
  SetNumberVector,
  SetSwitchVector,
  SetTextVector,
  SetVector,
  SwitchRule,
  SwitchState,
} from './protocol/messages.js';
export { deviceOf, isBlobMessage, isDefVector, isNewVector, isSetVector } from './protocol/messages.js';
export { IndiProtocolError, type IndiProtocolErrorReason } from './protocol/errors.js';
export { parseIndi, type ParseIndiOptions } from './protocol/parse-indi.js';
export { frameIndi, type FrameIndiOptions, type IndiFrame } from './protocol/frame-indi.js';
export { serializeIndi, escapeXml, numberText } from './protocol/serialize-indi.js';
export { encodeIndi } from './protocol/encode-indi.js';
export { holdOriginal, keepOriginal, originalText } from './protocol/original-text.js';
export { LineLease, LinePool, type LinePoolOptions } from './protocol/line-pool.js';
export { formatNumber, parseNumber } from './protocol/numbers.js';
export { decodeBlob, encodeBlob } from './protocol/blob-data.js';
export { indiTimestamp } from './protocol/timestamp.js';

export type { Channel, ChannelEvent } from './channels/channel.js';
export { socketChannel, refuseSocket, type SocketChannelOptions } from './channels/socket-channel.js';
export { socketSink, type SocketSinkOptions } from './channels/socket-sink.js';
export { processChannel, type ProcessChannelOptions } from './channels/process-channel.js';
export { remoteChannel, type RemoteChannelOptions } from './channels/remote-channel.js';
export { LinkDownError, growingDelay, socketLink, type SocketLinkOptions } from './channels/socket-link.js';
export { listenTcp, ListenError, type ListenEvent } from './channels/listen-tcp.js';
export { streamBytes } from './channels/socket-bytes.js';
export { openDriverPipes, type DriverPipes } from './channels/driver-pipes.js';
export { pipeBytes } from './channels/pipe-bytes.js';
export { findExecutable } from './channels/find-executable.js';
export { DriverExitedError, DriverNotFoundError } from './channels/driver-exited-error.js';

export {
  isReply,
  reply,
  tagTraffic,
  type ChannelKind,
  type ChannelRef,
  type Reply,
  type TrafficEvent,
} from './routing/traffic.js';
export {
  emptyRoutingState,
  isOwnerOf,
  nextRoutingState,
  speaksForDevices,
  type RoutingState,
} from './routing/routing-state.js';
export { routeTo, forDriver, type Routed } from './routing/route-to.js';
export { routeTraffic, type RoutedStep } from './routing/route-traffic.js';
export { deliverTo } from './routing/deliver-to.js';
export { DeviceCache } from './routing/device-cache.js';
export { addInterest, isInterested, noInterest, type Interest } from './routing/interest.js';
export {
  blobModeFor,
  enableBlob,
  neverBlobs,
  passesBlobPolicy,
  type BlobPolicy,
} from './routing/blob-policy.js';
export { conflate, conflationKey } from './routing/conflate.js';
export {
  defaultDefinitionLimits,
  limitDefinitions,
  type DefinitionLimits,
  type RefusedDefinition,
} from './routing/limit-definitions.js';

export {
  parseLimits,
  serve,
  type DriverCommand,
  type ParseLimits,
  type ServeOptions,
  type ServerEvent,
} from './server/serve.js';
export { IndiServer, type IndiServerOptions, type TrafficRecord } from './server/indi-server.js';
export { listenDriver } from './server/listen-driver.js';
export { backpressure, holdDrivers } from './server/backpressure.js';
export { applySetVector } from './protocol/apply-set-vector.js';
export {
  checkNewVector,
  vectorKind,
  type IndiVectorKind,
  type NewVectorCheck,
  type RequestRefusal,
  type RequestRule,
} from './protocol/check-new-vector.js';

export { defineDevice, type DeviceDefinition, type VectorDefinitions } from './driver/define-device.js';
export {
  textVector,
  type TextMemberDefinition,
  type TextVectorDefinition,
  type TextVectorSpec,
} from './driver/text-vector.js';
export {
  numberVector,
  type NumberMemberDefinition,
  type NumberVectorDefinition,
  type NumberVectorSpec,
} from './driver/number-vector.js';
export {
  switchVector,
  type SwitchMemberDefinition,
  type SwitchVectorDefinition,
  type SwitchVectorSpec,
} from './driver/switch-vector.js';
export {
  lightVector,
  type LightMemberDefinition,
  type LightVectorDefinition,
  type LightVectorSpec,
} from './driver/light-vector.js';
export {
  blobVector,
  type BlobMemberDefinition,
  type BlobVectorDefinition,
  type BlobVectorSpec,
} from './driver/blob-vector.js';
export type {
  BlobValue,
  CurrentValues,
  MemberName,
  ReceivedBlob,
  ReceivedValues,
  RequestValues,
  SentValues,
  VectorDefinition,
  VectorKind,
  VectorOptions,
  VectorValues,
  WritableVectorOptions,
} from './driver/vector-definition.js';
export {
  indiDriver,
  type IndiDriver,
  type IndiDriverOptions,
  type SnoopOptions,
} from './driver/indi-driver.js';
export type { DeviceRequest, Named, VectorNameOf, VectorOf } from './driver/vector-of.js';
export type { VectorRequest } from './driver/vector-request.js';
export type { RequestHandler } from './driver/run-handler.js';
export type { DriverEvent } from './driver/driver-event.js';
export type { NumberRange, SetOptions } from './driver/build-set-vector.js';
export type { MemberChanges, VectorChanges } from './driver/redefine-vector.js';
export { UnknownPropertyError } from './driver/unknown-property-error.js';
export { validateRequest, type RequestCheck } from './driver/validate-request.js';
export { runOnStdio, type RunOnStdioOptions } from './driver/run-on-stdio.js';

export {
  connectIndi,
  type BlobUpload,
  type ConnectIndiOptions,
  type IndiClient,
  type ReconnectOptions,
} from './client/connect-indi.js';
export { SendRefusedError, type SendRule } from './client/send-refused-error.js';
export { nextIndiDevices, noDevices, type IndiDevices } from './client/indi-devices.js';
export { memberValues } from './protocol/member-values.js';
