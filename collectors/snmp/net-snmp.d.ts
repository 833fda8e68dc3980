/**
 * The part of net-snmp 3 that netatlas uses (the package ships no type declarations). Shapes are
 * taken from node_modules/net-snmp/README.md; only what the collector and the simulator call.
 */
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';

  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }

  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    backoff?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
    backwardsGetNexts?: boolean;
    engineID?: string;
    context?: string;
  }

  export interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }

  export type ResponseCb<T> = (error: Error | null, result: T) => void;

  export interface Session extends EventEmitter {
    get(oids: string[], cb: ResponseCb<Varbind[]>): Session;
    getNext(oids: string[], cb: ResponseCb<Varbind[]>): Session;
    /** non-repeaters come back as varbinds, repeaters as arrays of varbinds */
    getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number,
      cb: ResponseCb<Array<Varbind | Varbind[]>>): Session;
    close(): void;
  }

  export interface MibRequest {
    oid: string;
    operation: number;
    instanceNode: { value: unknown };
    done(error?: { errorStatus: number }): void;
  }

  export interface ProviderColumn {
    number: number;
    name: string;
    type: number;
    maxAccess: number;
  }

  export interface Provider {
    name: string;
    type: number;
    oid: string;
    maxAccess: number;
    scalarType?: number;
    tableColumns?: ProviderColumn[];
    tableIndex?: Array<{ columnName: string }>;
    handler?: (req: MibRequest) => void;
  }

  export interface Mib {
    registerProvider(p: Provider): void;
    unregisterProvider(name: string): void;
    setScalarValue(name: string, value: unknown): void;
    addTableRow(name: string, row: unknown[]): void;
  }

  export interface Authorizer {
    addCommunity(community: string): void;
    addUser(user: User): void;
  }

  export interface AgentOptions {
    port?: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    disableAuthorization?: boolean;
    engineID?: string;
  }

  export interface Agent {
    getMib(): Mib;
    getAuthorizer(): Authorizer;
    close(cb?: () => void): void;
  }

  export class ResponseInvalidError extends Error {
    code: number;
    info?: unknown;
  }
  export class RequestTimedOutError extends Error {}
  export class RequestFailedError extends Error {
    status: number;
  }

  export const Version1: number;
  export const Version2c: number;
  export const Version3: number;
  export const ObjectType: Record<string, number>;
  export const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  export const AuthProtocols: Record<string, number>;
  export const PrivProtocols: Record<string, number>;
  export const MibProviderType: { Scalar: number; Table: number };
  export const MaxAccess: Record<string, number>;
  export const ResponseInvalidCode: Record<string, number>;
  export const ErrorStatus: Record<string, number>;

  export function createSession(target: string, community: string, options?: SessionOptions): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;
  export function createAgent(options: AgentOptions,
    callback: (error: Error | null, data: unknown) => void, mib?: Mib): Agent;
  export function isVarbindError(vb: Varbind): boolean;
  export function varbindError(vb: Varbind): string;

  const snmp: {
    Version1: number; Version2c: number; Version3: number;
    ObjectType: Record<string, number>;
    SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
    AuthProtocols: Record<string, number>;
    PrivProtocols: Record<string, number>;
    MibProviderType: { Scalar: number; Table: number };
    MaxAccess: Record<string, number>;
    ResponseInvalidCode: Record<string, number>;
    ErrorStatus: Record<string, number>;
    ResponseInvalidError: typeof ResponseInvalidError;
    RequestTimedOutError: typeof RequestTimedOutError;
    RequestFailedError: typeof RequestFailedError;
    createSession: typeof createSession;
    createV3Session: typeof createV3Session;
    createAgent: typeof createAgent;
    isVarbindError: typeof isVarbindError;
    varbindError: typeof varbindError;
  };
  export default snmp;
}
