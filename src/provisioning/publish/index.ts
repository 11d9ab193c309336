// Publishing rendered provisioning files to a site's own FTP/SFTP server: public surface.
import { FtpPublisher } from './ftp-publisher';
import type { Publisher } from './publisher';
import { SftpPublisher } from './sftp-publisher';
import type { PublishTarget } from './target';

export { FtpPublisher } from './ftp-publisher';
export { type PublishPbxDeps, publishPbx, type RenderedForPublishing, renderPbxForPublishing } from './publish-pbx';
export {
  manifestName,
  PublishError,
  type Publisher,
  type PublishResult,
  type PublishSet,
  publishTo,
  type RemoteDir,
} from './publisher';
export { type RenderedPbxFiles, type RenderPbxFilesInput, renderPbxFiles } from './render-pbx-files';
export { SftpPublisher } from './sftp-publisher';
export {
  describeTarget,
  isPublishableName,
  type PublishProtocol,
  type PublishTarget,
  PublishTargetError,
  parsePublishUrl,
  remoteDir,
} from './target';

/** The publisher for the target's protocol. */
export function createPublisher(target: PublishTarget): Publisher {
  return target.protocol === 'ftp' ? new FtpPublisher(target) : new SftpPublisher(target);
}
