/** Tests only: run `f` with this process's stderr discarded (progress lines and notes of long embeds). */
export async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await f();
  } finally {
    process.stderr.write = original;
  }
}
