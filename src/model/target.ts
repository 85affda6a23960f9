/** A parsed target spec. Addresses are IPv4 as unsigned 32-bit integers; ranges are inclusive. */
export type TargetSpec =
  | { kind: 'range'; spec: string; first: number; last: number }
  | { kind: 'hostname'; spec: string; name: string };

export interface TargetSet {
  specs: TargetSpec[];
  excludes: TargetSpec[];
}
