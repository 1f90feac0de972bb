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
