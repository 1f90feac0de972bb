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
export { originalText } from './protocol/original-text.js';
export { formatNumber, parseNumber } from './protocol/numbers.js';
export { decodeBlob, encodeBlob } from './protocol/blob-data.js';
export { indiTimestamp } from './protocol/timestamp.js';

export type { Channel, ChannelEvent } from './channels/channel.js';
export { socketChannel, refuseSocket, type SocketChannelOptions } from './channels/socket-channel.js';
export { socketSink, type SocketSinkOptions } from './channels/socket-sink.js';
export { processChannel, type ProcessChannelOptions } from './channels/process-channel.js';
export { remoteChannel, LinkDownError, type RemoteChannelOptions } from './channels/remote-channel.js';
export { listenTcp, ListenError, type ListenEvent } from './channels/listen-tcp.js';
export { streamBytes } from './channels/socket-bytes.js';
export { openDriverPipes, type DriverPipes } from './channels/driver-pipes.js';
export { findExecutable } from './channels/find-executable.js';
export { DriverExitedError, DriverNotFoundError } from './channels/driver-exited-error.js';

export type { ChannelKind, ChannelRef, TrafficEvent } from './routing/traffic.js';
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
export { blobModeFor, enableBlob, neverBlobs, passesBlobPolicy, type BlobPolicy } from './routing/blob-policy.js';
export { conflate, conflationKey } from './routing/conflate.js';

export { serve, type DriverCommand, type ServeOptions, type ServerEvent } from './server/serve.js';
export { IndiServer, type IndiServerOptions, type TrafficRecord } from './server/indi-server.js';
