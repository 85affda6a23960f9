// targets/: parse and lazily expand target specs (addresses, CIDR, ranges, hostnames, @file lists),
// with exclusions and a size limit. Pure apart from readTargetFile. -> model
export { ipToInt, intToIp } from './ipv4-address.js';
export { parseTargetSpec, parseExcludeSpec, type RangeSpec } from './parse-target.js';
export { parseTargetList, readTargetFile } from './read-target-list.js';
export {
  buildTargetSet,
  countAddresses,
  iterateAddresses,
  hostnamesOf,
  type TargetLimits,
} from './expand-targets.js';
