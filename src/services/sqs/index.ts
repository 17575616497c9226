import { defineService } from '../framework/define.ts';
import { peekMessages } from './inspect.ts';
import { deleteMessages, queueAttributesOf, queueExists, receiveMessages, sendMessage } from './internal.ts';
import { SendMessage, SendMessageBatch } from './messages.ts';
import { CancelMessageMoveTask, ListMessageMoveTasks, resumeTasks, StartMessageMoveTask } from './move-tasks.ts';
import { AddPermission, RemovePermission } from './permissions.ts';
import {
  CreateQueue, DeleteQueue, GetQueueAttributes, GetQueueUrl, ListDeadLetterSourceQueues, ListQueues, PurgeQueue, SetQueueAttributes,
} from './queues.ts';
import { ReceiveMessage } from './receive.ts';
import { installStore, storeFor } from './store.ts';
import { ListQueueTags, TagQueue, UntagQueue } from './tags.ts';
import { ChangeMessageVisibility, ChangeMessageVisibilityBatch, DeleteMessage, DeleteMessageBatch } from './visibility.ts';

export default defineService({
  name: 'sqs',
  // SQS words its validation errors itself ("Value 11 for parameter MaxNumberOfMessages is invalid...").
  validation: 'none',
  operations: {
    AddPermission,
    CancelMessageMoveTask,
    ChangeMessageVisibility,
    ChangeMessageVisibilityBatch,
    CreateQueue,
    DeleteMessage,
    DeleteMessageBatch,
    DeleteQueue,
    GetQueueAttributes,
    GetQueueUrl,
    ListDeadLetterSourceQueues,
    ListMessageMoveTasks,
    ListQueueTags,
    ListQueues,
    PurgeQueue,
    ReceiveMessage,
    RemovePermission,
    SendMessage,
    SendMessageBatch,
    SetQueueAttributes,
    StartMessageMoveTask,
    TagQueue,
    UntagQueue,
  },
  internal: { sendMessage, queueExists, queueAttributesOf, receiveMessages, deleteMessages },
  init(rt) {
    resumeTasks(installStore(rt));
  },
  // Ends parked long polls and stops queue timers when kumo stops.
  close(rt) {
    storeFor(rt).dispose();
  },
  inspect: { messages: peekMessages },
});
