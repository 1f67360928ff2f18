// The field app's queue of documents' files (sync/uploads.ts): one for the
// app, started by the first field screen that opens (the home or a
// person's), so that after a reload the photos taken offline go up once the
// data sync has brought their people to the server.
import { pb, sync } from "../../lib/session.svelte";
import { UploadQueue } from "../../sync/uploads";

let queue: UploadQueue | null = null;

/** uploads is the app's upload queue, started on first use. */
export function uploads(): UploadQueue {
  if (!queue) {
    queue = new UploadQueue(sync, { getToken: () => pb.authStore.token });
    queue.start();
  }
  return queue;
}
