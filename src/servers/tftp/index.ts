// Public surface of the TFTP server: createTftpServer plus the file-source contract and helpers.
export { TftpReadError } from './block-reader';
export { type TftpGetOptions, type TftpGetResult, TftpRemoteError, TftpTimeoutError, tftpGet } from './client';
export { bufferFile, diskFile, type TftpClient, type TftpFile, type TftpFileSource } from './file-source';
export { checkFilename, type FilenameCheck } from './filename';
export type { TftpLogEntry, TftpLogger } from './log';
export { createTftpServer, type TftpServer, type TftpServerOptions } from './server';
