import { defineService } from '../framework/define.ts';
import { confirmSubscription, deliveries, recordedMessages, signingCert, unsubscribe } from './inspect.ts';
import { AddPermission, RemovePermission } from './permissions.ts';
import {
  CreatePlatformApplication, CreatePlatformEndpoint, DeleteEndpoint, DeletePlatformApplication, GetEndpointAttributes,
  GetPlatformApplicationAttributes, ListEndpointsByPlatformApplication, ListPlatformApplications, SetEndpointAttributes,
  SetPlatformApplicationAttributes,
} from './platform.ts';
import { publish, Publish, PublishBatch, topicExists } from './publish.ts';
import { CheckIfPhoneNumberIsOptedOut, GetSMSAttributes, ListPhoneNumbersOptedOut, OptInPhoneNumber, SetSMSAttributes } from './sms.ts';
import { installStore, storeFor } from './store.ts';
import {
  ConfirmSubscription, GetSubscriptionAttributes, ListSubscriptions, ListSubscriptionsByTopic, SetSubscriptionAttributes, Subscribe, Unsubscribe,
} from './subscriptions.ts';
import {
  CreateTopic, DeleteTopic, GetDataProtectionPolicy, GetTopicAttributes, ListTagsForResource, ListTopics, PutDataProtectionPolicy,
  SetTopicAttributes, TagResource, UntagResource,
} from './topics.ts';

export default defineService({
  name: 'sns',
  operations: {
    AddPermission, CheckIfPhoneNumberIsOptedOut, ConfirmSubscription, CreatePlatformApplication, CreatePlatformEndpoint, CreateTopic,
    DeleteEndpoint, DeletePlatformApplication, DeleteTopic, GetDataProtectionPolicy, GetEndpointAttributes, GetPlatformApplicationAttributes,
    GetSMSAttributes, GetSubscriptionAttributes, GetTopicAttributes, ListEndpointsByPlatformApplication, ListPhoneNumbersOptedOut,
    ListPlatformApplications, ListSubscriptions, ListSubscriptionsByTopic, ListTagsForResource, ListTopics, OptInPhoneNumber, Publish,
    PublishBatch, PutDataProtectionPolicy, RemovePermission, SetEndpointAttributes, SetPlatformApplicationAttributes, SetSMSAttributes,
    SetSubscriptionAttributes, SetTopicAttributes, Subscribe, TagResource, Unsubscribe, UntagResource,
  },
  internal: { publish, topicExists },
  init(rt) {
    installStore(rt);
  },
  close(rt) {
    storeFor(rt).deliveries.close();
  },
  inspect: {
    messages: recordedMessages,
    deliveries,
    'confirm-subscription': confirmSubscription,
    unsubscribe,
    'signing-cert': signingCert,
  },
});
