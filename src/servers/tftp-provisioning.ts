// TFTP file source backed by provisioning: bootstrap files without secrets by default; a PBX's own opt-in
// (pbx.tftpCredentials, for closed LANs) lets its known phones fetch their real files over TFTP.
import type { ProvisioningFiles } from '../provisioning/provisioning-files';
import { bufferFile, diskFile, type TftpFileSource } from './tftp';

export function provisioningTftpSource(files: Pick<ProvisioningFiles, 'open'>): TftpFileSource {
  return {
    async open(filename, client) {
      // TFTP carries no User-Agent; the per-PBX opt-in is checked inside open().
      const file = await files.open(filename, client, null, { secretsAllowed: true });
      if (!file) return null;
      return file.type === 'body' ? bufferFile(file.body) : diskFile(file.path).catch(() => null);
    },
  };
}
