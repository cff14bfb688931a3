import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  HorizontalPodAutoscaler,
  type IHorizontalPodAutoscaler,
} from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { type IJob, Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { type ISecret, Secret } from 'kubernetes-models/v1/Secret';
import { type IService, Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { unknownFieldProblems } from './excess-fields';

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

interface Resource {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  resources?: string[];
}
interface Manifest {
  file: string;
  doc: Resource;
}

const files = readdirSync(K8S).filter((file) => file.endsWith('.yaml'));
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((document) => {
    if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
    return { file, doc: document.toJS() as Resource };
  }),
);
const kindKey = (doc: Resource) => `${doc.apiVersion}/${doc.kind}`;
const resources = manifests.map(({ doc }) => doc).filter((doc) => doc.kind !== 'Kustomization');
const ofKind = <T>(kind: string) => resources.filter((doc) => doc.kind === kind) as T[];
function named<T>(kind: string, name: string): T {
  const found = resources.find((doc) => doc.kind === kind && doc.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as T;
}
const container = (owner: IDeployment | IJob) => owner.spec!.template.spec!.containers[0];

function validationError(doc: unknown): string | null {
  const Model = MODELS[kindKey(doc as Resource)];
  if (!Model) return `unexpected kind ${kindKey(doc as Resource)}`;
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
      .map((doc) => [`${doc.kind}/${doc.metadata?.name}`, validationError(doc)])
      .filter(([, error]) => error !== null);
    expect(problems).toEqual([]);
  });

  it('have no field Kubernetes does not know, at any depth', () => {
    expect(unknownFieldProblems(resources)).toEqual([]);
  });

  it('the validator does catch a broken manifest', () => {
    const broken = structuredClone(named<IDeployment>('Deployment', 'aicall-api')) as unknown as {
      spec: { replicas: unknown; template: { spec: { containers: Array<{ image?: string }> } } };
    };
    broken.spec.replicas = 'two';
    delete broken.spec.template.spec.containers[0].image;
    expect(validationError(broken)).toMatch(/replicas must be integer|must have required property 'image'/);
    expect(validationError({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toBe(
      'unexpected kind v1/Pod',
    );
    // One typo per manifest: TypeScript names the first unknown field of each literal.
    const worker = () =>
      structuredClone(named<IDeployment>('Deployment', 'aicall-worker')) as unknown as {
        spec: Record<string, unknown> & {
          template: { spec: { containers: Array<Record<string, unknown>> } };
        };
      } & Resource;
    const topLevel = worker();
    topLevel.spec.replica = 2;
    const deep = worker();
    deep.spec.template.spec.containers[0].livenessprobe = {};
    const problems = unknownFieldProblems([topLevel, deep]);
    expect(problems).toEqual([
      expect.stringMatching(/'"replica"' does not exist in type 'IDeploymentSpec'/),
      expect.stringMatching(/'"livenessprobe"' does not exist in type 'IContainer'/),
    ]);
  });

  it('the API is probed on /health/ready and /health/live and scaled by an HPA', () => {
    const api = container(named<IDeployment>('Deployment', 'aicall-api'));
    // Started as production starts it everywhere: `npm run start:api`, the image's CMD.
    const root = join(__dirname, '..', '..');
    const startApi = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts['start:api'].split(' ');
    expect(api.command).toEqual(startApi);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain(
      `CMD [${startApi.map((word) => JSON.stringify(word)).join(', ')}]`,
    );
    expect(api.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(api.livenessProbe?.httpGet?.path).toBe('/health/live');
    const hpa = named<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'aicall-api');
    expect(hpa.spec?.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'aicall-api',
    });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('the worker runs the worker entry point, and the migration is a Job', () => {
    expect(container(named<IDeployment>('Deployment', 'aicall-worker')).command).toEqual([
      'node',
      'dist/src/worker.js',
    ]);
    const [job] = ofKind<IJob>('Job');
    expect(container(job).command).toEqual(expect.arrayContaining(['migration:run']));
  });

  it('every selector matches its pod labels, and every secret reference names a key of the Secret', () => {
    const secretKeys = Object.keys(named<ISecret>('Secret', 'aicall-secrets').stringData ?? {});
    expect(secretKeys).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'OPERATOR_API_KEY', 'ENCRYPTION_KEY']),
    );
    for (const deployment of ofKind<IDeployment>('Deployment')) {
      const labels = deployment.spec!.template.metadata!.labels;
      expect(labels).toMatchObject(deployment.spec!.selector.matchLabels!);
      const service = ofKind<IService>('Service').find((s) => s.metadata?.name === deployment.metadata?.name);
      if (service) expect(labels).toMatchObject(service.spec!.selector!);
    }
    for (const owner of [...ofKind<IDeployment>('Deployment'), ...ofKind<IJob>('Job')]) {
      const { envFrom = [], env = [] } = container(owner);
      for (const source of envFrom) {
        if (source.secretRef) expect(source.secretRef.name).toBe('aicall-secrets');
        if (source.configMapRef) expect(() => named('ConfigMap', source.configMapRef!.name!)).not.toThrow();
      }
      for (const variable of env) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) expect([ref.name, secretKeys.includes(ref.key)]).toEqual(['aicall-secrets', true]);
      }
    }
  });

  it('the kustomization lists every manifest but the per-release migration Job', () => {
    const kustomization = manifests.find(({ doc }) => doc.kind === 'Kustomization')!.doc;
    const expected = files.filter((file) => file !== 'kustomization.yaml' && file !== 'migrate-job.yaml');
    expect([...kustomization.resources!].sort()).toEqual(expected.sort());
  });
});
