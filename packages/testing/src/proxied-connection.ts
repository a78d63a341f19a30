import { connect, type Socket } from 'node:net';

/**
 * Opens the upstream of a proxied client and ties the two together: when either fails or closes,
 * both are destroyed and forgotten, so a proxy that closes destroys every socket in `open`.
 */
export function connectUpstream(client: Socket, target: { host: string; port: number }, open: Set<Socket>): Socket {
  const upstream = connect(target.port, target.host);
  open.add(client).add(upstream);
  const drop = () => {
    client.destroy();
    upstream.destroy();
    open.delete(client);
    open.delete(upstream);
  };
  client.on('error', drop).on('close', drop);
  upstream.on('error', drop).on('close', drop);
  return upstream;
}
