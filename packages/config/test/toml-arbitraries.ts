/**
 * fast-check arbitraries of to11.toml documents, for the property tests of the config loader and
 * `bench/fuzz.ts`: tables keyed by the names the schema knows, with values of any TOML type
 * (so validation and the gateway's cross-checks are reached), and well-formed documents that
 * must load. Test-only: nothing in the package's runtime imports it.
 */
import fc from 'fast-check';
import { stringify } from 'smol-toml';

/** Keys the to11.toml schema and the gateway's cross-checks read, at any level. */
export const TOML_KEYS = [
  'server',
  'host',
  'port',
  'defaults',
  'provider',
  'providers',
  'openai',
  'anthropic',
  'custom',
  'base_url',
  'format',
  'models',
  'credential',
  'timeout_ms',
  'auth_type',
  'auth_header_name',
  'auth_query_name',
  'enabled',
  'propagate_trace',
  'targets',
  'model',
  'weight',
  'routes',
  'endpoint',
  'strategy',
  'steps',
  'variants',
  'name',
  'target',
  'experiment',
  'retry',
  'max_retries',
  'backoff_base_ms',
  'routing',
  'genai_telemetry',
  'capture_content',
  'max_content_bytes',
  'limits',
  'on_redis_error',
  'key',
  'project',
  'requests_per_minute',
  'guardrails',
  'blocklist',
  'pii',
  'cache',
  'exact',
  'ttl_seconds',
  'functions',
  'environments',
  'enable_providers',
  'disable_providers',
] as const;

const WORDS = [
  'openai',
  'anthropic',
  'custom',
  'gpt-4o',
  'openai::gpt-4o',
  'anthropic::claude-x',
  'single',
  'weighted',
  'fallback',
  'experiment',
  'chat',
  'embeddings',
  'bearer',
  'query_param',
  'api_key_header',
  'env::TO11_FUZZ_KEY',
  'env::',
  'http://127.0.0.1:9/v1',
  'https://evil.example/v1',
  'file:///etc/passwd',
  'a',
  '',
];

const leaf = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.constantFrom(-1, 0, 1, 65_536, 2 ** 53, Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.boolean(),
);

/** A TOML value: tables keyed by {@link TOML_KEYS}, arrays and scalars of any type. */
const tomlValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.dictionary(fc.constantFrom(...TOML_KEYS), tie('value'), { maxKeys: 5 }),
    fc.array(leaf, { maxLength: 4 }),
  ),
})).value;

/** A to11.toml document as a plain object (smol-toml `stringify` writes it). */
export const hostileTomlDocument: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...TOML_KEYS),
  tomlValue,
  { maxKeys: 6 },
);

const modelName = fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/);
const tableName = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);

/** A valid to11.toml: declared providers, targets on them and single/fallback routes. */
export const validTomlDocument = fc
  .record({
    provider: tableName,
    baseUrl: fc.constantFrom('http://127.0.0.1:9/v1', 'https://api.example.com/v1'),
    models: fc.uniqueArray(modelName, { minLength: 1, maxLength: 3 }),
    timeout: fc.integer({ min: 1, max: 600_000 }),
    routeModels: fc.uniqueArray(modelName, { minLength: 1, maxLength: 3 }),
    strategy: fc.constantFrom('single', 'fallback'),
    retries: fc.integer({ min: 0, max: 10 }),
    capture: fc.boolean(),
  })
  .map((p) => ({
    providers: {
      [p.provider]: { base_url: p.baseUrl, format: 'openai', models: p.models },
    },
    targets: { primary: { model: `${p.provider}::${p.models[0]}`, timeout_ms: p.timeout } },
    routes: {
      main: {
        models: p.routeModels.map((m) => `route-${m}`),
        strategy: p.strategy,
        targets: ['primary'],
      },
    },
    routing: { retry: { max_retries: p.retries } },
    genai_telemetry: { capture_content: p.capture },
  }));

/** {@link hostileTomlDocument} as TOML text. */
export const hostileTomlText: fc.Arbitrary<string> = hostileTomlDocument.map((doc) =>
  stringify(doc),
);

/** {@link validTomlDocument} with its TOML text. */
export const validToml = validTomlDocument.map((doc) => ({ doc, text: stringify(doc) }));
