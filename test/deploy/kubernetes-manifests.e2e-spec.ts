import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';

const K8S = join(__dirname, '..', '..', 'deploy', 'k8s');

/** The kinds the manifests may use, each with its model (validated against the Kubernetes JSON schemas). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, checked below
interface Manifest {
  file: string;
  doc: Doc;
}

const files = readdirSync(K8S).filter((file) => file.endsWith('.yaml'));
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((document) => {
    if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
    return { file, doc: document.toJS() as Doc };
  }),
);
const kindKey = (doc: Doc) => `${doc.apiVersion}/${doc.kind}`;
const resources = manifests.filter(({ doc }) => doc.kind !== 'Kustomization');
const find = (kind: string, name: string) =>
  resources.find(({ doc }) => doc.kind === kind && doc.metadata.name === name)?.doc;
const podSpec = (doc: Doc) => doc.spec.template.spec as Doc;
const container = (doc: Doc) => podSpec(doc).containers[0] as Doc;

function validationError(doc: Doc): string | null {
  const Model = MODELS[kindKey(doc)];
  if (!Model) return `unexpected kind ${kindKey(doc)}`;
  try {
    new Model(doc as never).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('are valid against the Kubernetes JSON schemas', () => {
    expect(resources.length).toBeGreaterThanOrEqual(8);
    const problems = resources
      .map(({ file, doc }) => [`${file} ${doc.kind}/${doc.metadata?.name}`, validationError(doc)])
      .filter(([, error]) => error !== null);
    expect(problems).toEqual([]);
  });

  it('the validator does catch a broken manifest', () => {
    const api = structuredClone(find('Deployment', 'aicall-api')!);
    api.spec.replicas = 'two';
    delete podSpec(api).containers[0].image;
    expect(validationError(api)).toMatch(/replicas must be integer|must have required property 'image'/);
    expect(validationError({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toBe(
      'unexpected kind v1/Pod',
    );
  });

  it('the API is probed on /health/ready and /health/live and scaled by an HPA', () => {
    const api = find('Deployment', 'aicall-api')!;
    expect(container(api).command).toEqual(['node', 'dist/src/main.js']);
    expect(container(api).readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container(api).livenessProbe.httpGet.path).toBe('/health/live');
    const hpa = find('HorizontalPodAutoscaler', 'aicall-api')!;
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'aicall-api',
    });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('the worker runs the worker entry point, and the migration is a Job', () => {
    expect(container(find('Deployment', 'aicall-worker')!).command).toEqual(['node', 'dist/src/worker.js']);
    const job = resources.find(({ doc }) => doc.kind === 'Job')!.doc;
    expect(container(job).command).toEqual(expect.arrayContaining(['migration:run']));
  });

  it('every selector matches its pod labels, and every secret reference names a key of the Secret', () => {
    const secret = find('Secret', 'aicall-secrets')!;
    const secretKeys = Object.keys(secret.stringData as Doc);
    for (const { doc } of resources.filter(({ doc }) => doc.kind === 'Deployment')) {
      expect(doc.spec.template.metadata.labels).toMatchObject(doc.spec.selector.matchLabels);
      const service = resources.find(
        ({ doc: d }) => d.kind === 'Service' && d.metadata.name === doc.metadata.name,
      );
      if (service) expect(doc.spec.template.metadata.labels).toMatchObject(service.doc.spec.selector);
    }
    for (const { doc } of resources.filter(({ doc }) => doc.spec?.template)) {
      const c = container(doc);
      for (const source of c.envFrom ?? []) {
        if (source.secretRef) expect(source.secretRef.name).toBe('aicall-secrets');
        if (source.configMapRef) expect(find('ConfigMap', source.configMapRef.name)).toBeDefined();
      }
      for (const variable of c.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) expect([ref.name, secretKeys.includes(ref.key)]).toEqual(['aicall-secrets', true]);
      }
    }
    expect(secretKeys).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'OPERATOR_API_KEY', 'ENCRYPTION_KEY']),
    );
  });

  it('the kustomization lists every manifest but the per-release migration Job', () => {
    const kustomization = manifests.find(({ doc }) => doc.kind === 'Kustomization')!.doc;
    const expected = files.filter((file) => file !== 'kustomization.yaml' && file !== 'migrate-job.yaml');
    expect([...(kustomization.resources as string[])].sort()).toEqual(expected.sort());
  });
});
