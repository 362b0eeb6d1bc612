/**
 * `npm run receiver`: the notification receiver as its own process. It holds a Temporal client
 * and nothing else (no Airbyte credentials, no catalog), so the one port Airbyte must reach is in
 * a process that cannot call Airbyte or anything a notification names.
 */
import { pathToFileURL } from 'node:url';
import { runReceiver } from './receiver/run-receiver.js';

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  runReceiver().then(
    (receiver) => {
      const stop = () => void receiver.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
