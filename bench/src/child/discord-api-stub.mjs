// Child of the rest-request workload: Discord's API as far as one route goes, in its own process
// so that the bench process's CPU time is the REST client's alone. Every request is answered 200
// with a message object of the size Discord sends. Prints its port, then serves until killed.
import { createServer } from 'node:http';

const message = JSON.stringify({
  id: '1400000000000000000',
  type: 0,
  content: 'hello',
  channel_id: '1200000000000000000',
  author: { id: '1300000000000000000', username: 'argus-bench', discriminator: '0', avatar: null, bot: true },
  attachments: [],
  embeds: [],
  mentions: [],
  mention_roles: [],
  pinned: false,
  mention_everyone: false,
  tts: false,
  timestamp: '2026-12-06T00:00:00.000000+00:00',
  edited_timestamp: null,
  flags: 0,
  components: [],
});

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(message) });
    res.end(message);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
