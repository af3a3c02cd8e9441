/** A model shipped inside the package, in the compact format, as base64 text. */
export interface PretrainedModel {
  /** `cnn` or `mlp`. */
  readonly name: string;
  /** Storage type of the kernels. */
  readonly dtype: 'int8' | 'float16';
  /** The CLI command that trained it (reproducible: fixed seed). */
  readonly trainCommand: string;
  /** Held-out MNIST test accuracy with float32 weights and as shipped. */
  readonly testAccuracy: { readonly float32: number; readonly shipped: number };
  /** The compact model bytes, base64-encoded. */
  readonly base64: string;
}
