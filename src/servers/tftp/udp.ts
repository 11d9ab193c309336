// UDP socket helpers shared by the TFTP server and client: bind as a promise, no DNS on the hot path.
import { createSocket, type Socket, type SocketType } from 'node:dgram';
import { isIPv6 } from 'node:net';

/**
 * TFTP only ever talks to IP literals (the bound address, a datagram's source); answering dgram's lookup
 * synchronously saves a process.nextTick per datagram sent.
 */
export function literalLookup(
  hostname: string,
  _options: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, hostname, isIPv6(hostname) ? 6 : 4);
}

/**
 * A UDP socket bound to `address:port`; with `peer`, also connected to it (it then receives only the peer's datagrams
 * and sends without naming an address).
 */
export function bindSocket(
  type: SocketType,
  port: number,
  address: string,
  peer?: { address: string; port: number },
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type, lookup: literalLookup });
    const onError = (err: Error) => {
      try {
        socket.close();
      } catch {
        // never bound
      }
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ port, address, exclusive: true }, () => {
      if (!peer) {
        socket.off('error', onError);
        resolve(socket);
        return;
      }
      socket.connect(peer.port, peer.address, () => {
        socket.off('error', onError);
        resolve(socket);
      });
    });
  });
}
