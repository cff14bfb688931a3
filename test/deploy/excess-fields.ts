import { join } from 'node:path';
import ts from 'typescript';

/** The models' TypeScript interface of each kind the manifests use. */
const INTERFACES: Record<string, [module: string, name: string]> = {
  'apps/v1/Deployment': ['kubernetes-models/apps/v1/Deployment', 'IDeployment'],
  'autoscaling/v2/HorizontalPodAutoscaler': [
    'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    'IHorizontalPodAutoscaler',
  ],
  'batch/v1/Job': ['kubernetes-models/batch/v1/Job', 'IJob'],
  'policy/v1/PodDisruptionBudget': [
    'kubernetes-models/policy/v1/PodDisruptionBudget',
    'IPodDisruptionBudget',
  ],
  'v1/ConfigMap': ['kubernetes-models/v1/ConfigMap', 'IConfigMap'],
  'v1/Secret': ['kubernetes-models/v1/Secret', 'ISecret'],
  'v1/Service': ['kubernetes-models/v1/Service', 'IService'],
};

/**
 * The JSON schemas accept fields they do not know (as the API server does without strict field validation),
 * so a typo such as `replica: 2` would pass them. TypeScript's excess-property check on object literals does
 * not: each manifest becomes a literal typed with its kind's interface, and every unknown field, at any depth,
 * is a diagnostic naming it.
 */
export function unknownFieldProblems(manifests: Array<{ apiVersion: string; kind: string }>): string[] {
  const file = join(__dirname, '__manifests__.ts');
  const source = manifests
    .map((manifest, index) => {
      const [module, name] = INTERFACES[`${manifest.apiVersion}/${manifest.kind}`] ?? [];
      if (!module)
        return `const m${index}: never = 'unexpected kind ${manifest.apiVersion}/${manifest.kind}';`;
      return `import type { ${name} as T${index} } from '${module}';\nexport const m${index}: T${index} = ${JSON.stringify(manifest)};`;
    })
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
}
