// Placeholder: the CSV import queue consumers are being written (issue #5).
export async function consumeImportBatch(_env: Env, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) message.retry();
}

export async function consumeImportDeadLetters(_env: Env, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    console.error(JSON.stringify({ event: "import.dead_letter", id: message.id, body: message.body }));
    message.ack();
  }
}
