// React 19: the README's raw-tag pad (src/raw-pad.tsx), reading with the shipped CNN.
import { RawPad } from './raw-pad';

export function Extras() {
  return <section><h2>Raw tag</h2><RawPad /></section>;
}
