import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SecurityConfig } from '../../config/security.config';
import { TokenCipher } from './token-cipher';

/** The cipher for secrets at rest, keyed from ENCRYPTION_KEY (and ENCRYPTION_KEYS_PREVIOUS while rotating). */
@Global()
@Module({
  providers: [
    {
      provide: TokenCipher,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const security = config.getOrThrow<SecurityConfig>('security');
        return new TokenCipher(security.encryptionKey, security.previousEncryptionKeys);
      },
    },
  ],
  exports: [TokenCipher],
})
export class CryptoModule {}
