/**
 * Provider names as the OTel GenAI conventions spell them (`gen_ai.provider.name` values).
 * Libraries write their own: the Vercel AI SDK `openai.chat` or `anthropic.messages`,
 * OpenInference `mistralai`, older instrumentations `OpenAI`. Names not known here are kept
 * as written (a gateway provider id such as `my-vllm` stays itself).
 */

/** Known aliases (lower case) → the semconv provider name. */
const ALIASES: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  'azure.ai.openai': 'azure.ai.openai',
  'az.ai.inference': 'azure.ai.inference',
  'azure.ai.inference': 'azure.ai.inference',
  google: 'gcp.gemini',
  gemini: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  'gcp.gemini': 'gcp.gemini',
  vertex_ai: 'gcp.vertex_ai',
  'google.vertex': 'gcp.vertex_ai',
  'gcp.vertex_ai': 'gcp.vertex_ai',
  aws: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  'aws.bedrock': 'aws.bedrock',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  mistral_ai: 'mistral_ai',
  xai: 'x_ai',
  x_ai: 'x_ai',
  groq: 'groq',
  cohere: 'cohere',
  deepseek: 'deepseek',
  perplexity: 'perplexity',
};

/** The semconv name of a provider name as a library wrote it. */
export function normalizeProvider(name: string): string {
  const lower = name.toLowerCase();
  const known = ALIASES[lower];
  if (known) return known;
  // `openai.chat`, `anthropic.messages`, `google.vertex.chat`: the longest known prefix.
  const segments = lower.split('.');
  for (let end = segments.length - 1; end > 0; end--) {
    const prefix = ALIASES[segments.slice(0, end).join('.')];
    if (prefix) return prefix;
  }
  return name;
}
