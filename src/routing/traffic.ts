import type { IndiMessage } from '../protocol/messages.js';

/** What is at the other end of a channel. */
export type ChannelKind = 'client' | 'driver' | 'remote';

/** The identity of a channel, as routing sees it: no I/O, just a name and a kind. */
export interface ChannelRef {
  readonly id: string;
  readonly kind: ChannelKind;
}

/**
 * Everything the routing graph reacts to: channels opening and closing, and
 * the messages they send, tagged with their origin.
 */
export type TrafficEvent =
  | { readonly type: 'open'; readonly channel: ChannelRef }
  | { readonly type: 'message'; readonly from: ChannelRef; readonly message: IndiMessage }
  | { readonly type: 'close'; readonly channel: ChannelRef };
