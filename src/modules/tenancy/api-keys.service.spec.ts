import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Repository } from 'typeorm';
import { ApiKeysService } from './api-keys.service';
import type { ApiKey } from './entities/api-key.entity';
import { ApiKeyRevokedEvent } from './events/tenancy.events';

const KEY = { id: 'key-1', tenantId: 'tenant-1', role: 'agent' as const };

function serviceWith(findOne: jest.Mock) {
  const repository = { findOne } as unknown as Repository<ApiKey>;
  return new ApiKeysService(repository, new EventEmitter2());
}

const revoked = (keyId: string) => new ApiKeyRevokedEvent('tenant-1', keyId, { role: 'operator' });

describe('ApiKeysService key cache', () => {
  it('asks Postgres once for a key used again within the TTL', async () => {
    const findOne = jest.fn().mockResolvedValue(KEY);
    const service = serviceWith(findOne);
    await expect(service.findActiveBySecret('secret')).resolves.toEqual(KEY);
    await expect(service.findActiveBySecret('secret')).resolves.toEqual(KEY);
    expect(findOne).toHaveBeenCalledTimes(1);
  });

  it('forgets a key revoked in this process at once, and keeps the others', async () => {
    const findOne = jest
      .fn()
      .mockImplementation(({ where }: { where: { keyHash: string } }) =>
        Promise.resolve({ ...KEY, id: where.keyHash.slice(0, 8) }),
      );
    const service = serviceWith(findOne);
    const first = await service.findActiveBySecret('first');
    await service.findActiveBySecret('second');
    service.forgetRevoked(revoked(first!.id));
    findOne.mockResolvedValueOnce(null);
    await expect(service.findActiveBySecret('first')).resolves.toBeNull();
    await service.findActiveBySecret('second');
    expect(findOne).toHaveBeenCalledTimes(3);
  });

  it('drops lookups in flight at a revocation (they may have read the row before it)', async () => {
    let resolve: (key: typeof KEY) => void = () => undefined;
    const findOne = jest
      .fn()
      .mockReturnValueOnce(new Promise((done) => (resolve = done)))
      .mockResolvedValueOnce(null);
    const service = serviceWith(findOne);
    const inFlight = service.findActiveBySecret('secret');
    service.forgetRevoked(revoked(KEY.id));
    resolve(KEY);
    await inFlight;
    await expect(service.findActiveBySecret('secret')).resolves.toBeNull();
  });

  it('never keeps an unknown key', async () => {
    const findOne = jest.fn().mockResolvedValue(null);
    const service = serviceWith(findOne);
    await service.findActiveBySecret('guess');
    await service.findActiveBySecret('guess');
    expect(findOne).toHaveBeenCalledTimes(2);
  });
});
