// The sweep's hot path converts addresses it made itself (or the kernel gave back), so it skips the
// strict parser of targets/ and its error messages.
export { intToIp } from '../../targets/ipv4-address.js';

/** `"10.0.0.5"` -> `167772165`, for a dotted quad known to be well formed. */
export function dottedToInt(ip: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 48);
    }
  }
  return n * 256 + octet;
}
