/** Time enters core as an argument: jobs pass the wall clock, tests and replays a fixed one. */
export type Clock = () => Date;

export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return () => new Date(instant.getTime());
}
