// Where the repository keeps its firmware profiles (one JSON per phone model).
import { fileURLToPath } from 'node:url';

export function defaultProfileDir(): string {
  return fileURLToPath(new URL('../../firmware-profiles', import.meta.url));
}
