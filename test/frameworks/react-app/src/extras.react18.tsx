// React 18 has no raw-tag example (it cannot bind custom events through props).
export function Extras() {
  return null;
}
