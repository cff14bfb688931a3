import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SalesforceModule } from '../salesforce/salesforce.module';
import { MappingsController } from './controllers/mappings.controller';
import { MetadataController } from './controllers/metadata.controller';
import { PreflightController } from './controllers/preflight.controller';
import { SimulationsController } from './controllers/simulations.controller';
import { IntentMapVersion } from './entities/intent-map-version.entity';
import { IntentMap } from './entities/intent-map.entity';
import { MetadataField } from './entities/metadata-field.entity';
import { MetadataObject } from './entities/metadata-object.entity';
import { IntentMapsService } from './services/intent-maps.service';
import { MappingAdminService } from './services/mapping-admin.service';
import { MetadataService } from './services/metadata.service';
import { PreflightService } from './services/preflight.service';
import { SimulationsService } from './services/simulations.service';
import { WritePlansService } from './services/write-plans.service';

/**
 * Intent maps: field metadata from the org's describe calls, maps validated at save, auto-map, simulations,
 * and the write plan. The write path uses `WritePlansService` (or `buildWritePlan` directly); nothing else
 * leaves this module.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([MetadataObject, MetadataField, IntentMap, IntentMapVersion]),
    SalesforceModule,
  ],
  controllers: [MetadataController, MappingsController, SimulationsController, PreflightController],
  providers: [
    MetadataService,
    IntentMapsService,
    MappingAdminService,
    SimulationsService,
    WritePlansService,
    PreflightService,
  ],
  exports: [WritePlansService],
})
export class MappingModule {}
