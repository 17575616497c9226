import type {
  GenerateMacRequest, GenerateMacResponse, GenerateRandomRequest, GenerateRandomResponse, GetPublicKeyRequest, GetPublicKeyResponse,
  SignRequest, SignResponse, VerifyMacRequest, VerifyMacResponse, VerifyRequest, VerifyResponse,
} from '../../generated/kms.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { digestLength, mac, macEquals, macSpecOf, randomBytes, sign, SIGNING, verify } from './crypto.ts';
import { invalidKeyUsage, outOfRange, unsupported, validation } from './errors.ts';
import { algorithms } from './metadata.ts';
import type { KeyRecord } from './records.ts';
import { checkUsable, findKey, requestScope, usableKey } from './scope.ts';

function signingKey(ctx: RequestContext, keyId: string, algorithm: SignRequest['SigningAlgorithm'], operation: string) {
  const key = usableKey(requestScope(ctx), keyId);
  if (key.usage !== 'SIGN_VERIFY') throw invalidKeyUsage(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
  const scheme = SIGNING[algorithm];
  if (!scheme || !algorithms(key).SigningAlgorithms?.includes(algorithm)) {
    throw invalidKeyUsage(`Algorithm ${algorithm} is incompatible with key spec ${key.spec}.`);
  }
  return { key, scheme };
}

function messageOf(message: Buffer, type: SignRequest['MessageType'], scheme: ReturnType<typeof signingKey>['scheme'], algorithm: string): { bytes: Buffer; digest: boolean } {
  if (type === 'EXTERNAL_MU') throw unsupported('MessageType EXTERNAL_MU applies to ML-DSA keys only.');
  const digest = type === 'DIGEST';
  if (digest && message.length !== digestLength(scheme)) throw validation(`Digest is invalid length for algorithm ${algorithm}.`);
  return { bytes: Buffer.from(message), digest };
}

export function Sign(input: SignRequest, ctx: RequestContext): SignResponse {
  const { key, scheme } = signingKey(ctx, input.KeyId, input.SigningAlgorithm, 'Sign');
  const m = messageOf(input.Message, input.MessageType, scheme, input.SigningAlgorithm);
  return { KeyId: key.arn, Signature: sign(key.privateKey!, scheme, m.bytes, m.digest), SigningAlgorithm: input.SigningAlgorithm };
}

export function Verify(input: VerifyRequest, ctx: RequestContext): VerifyResponse {
  const { key, scheme } = signingKey(ctx, input.KeyId, input.SigningAlgorithm, 'Verify');
  const m = messageOf(input.Message, input.MessageType, scheme, input.SigningAlgorithm);
  // AWS answers an invalid signature with an error, never with SignatureValid false.
  if (!verify({ publicKey: key.publicKey!, privateKey: key.privateKey! }, scheme, m.bytes, m.digest, Buffer.from(input.Signature))) throw new AwsError('KMSInvalidSignatureException', '');
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
}

export function GetPublicKey(input: GetPublicKeyRequest, ctx: RequestContext): GetPublicKeyResponse {
  const key = findKey(requestScope(ctx), input.KeyId);
  checkUsable(key);
  if (!key.publicKey) throw unsupported(`${key.arn} key spec ${key.spec} has no public key.`);
  return {
    KeyId: key.arn,
    PublicKey: key.publicKey,
    CustomerMasterKeySpec: key.spec as GetPublicKeyResponse['CustomerMasterKeySpec'],
    KeySpec: key.spec,
    KeyUsage: key.usage,
    ...algorithms(key),
  };
}

function macKey(ctx: RequestContext, keyId: string, algorithm: GenerateMacRequest['MacAlgorithm'], operation: string): KeyRecord {
  const key = usableKey(requestScope(ctx), keyId);
  if (key.usage !== 'GENERATE_VERIFY_MAC') throw invalidKeyUsage(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
  if (macSpecOf(algorithm) !== key.spec) throw invalidKeyUsage(`Algorithm ${algorithm} is incompatible with key spec ${key.spec}.`);
  return key;
}

export function GenerateMac(input: GenerateMacRequest, ctx: RequestContext): GenerateMacResponse {
  const key = macKey(ctx, input.KeyId, input.MacAlgorithm, 'GenerateMac');
  return { KeyId: key.arn, Mac: mac(key.materials[0]!, input.MacAlgorithm, Buffer.from(input.Message)), MacAlgorithm: input.MacAlgorithm };
}

export function VerifyMac(input: VerifyMacRequest, ctx: RequestContext): VerifyMacResponse {
  const key = macKey(ctx, input.KeyId, input.MacAlgorithm, 'VerifyMac');
  const expected = mac(key.materials[0]!, input.MacAlgorithm, Buffer.from(input.Message));
  if (!macEquals(expected, Buffer.from(input.Mac))) throw new AwsError('KMSInvalidMacException', '');
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
}

export function GenerateRandom(input: GenerateRandomRequest, _ctx: RequestContext): GenerateRandomResponse {
  if (input.CustomKeyStoreId !== undefined) throw new AwsError('CustomKeyStoreNotFoundException', `Custom key store ${input.CustomKeyStoreId} does not exist.`);
  const n = input.NumberOfBytes;
  if (n === undefined) throw validation('NumberOfBytes is required.');
  if (n < 1) throw outOfRange(n, 'numberOfBytes', 'greater', 1);
  if (n > 1024) throw outOfRange(n, 'numberOfBytes', 'less', 1024);
  return { Plaintext: randomBytes(n) };
}
