import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { writesConfig } from '../../config/writes.config';
import { SalesforceModule } from '../salesforce/salesforce.module';
import { MappingsController } from './controllers/mappings.controller';
import { MetadataController } from './controllers/metadata.controller';
import { PreflightController } from './controllers/preflight.controller';
import { SimulationsController } from './controllers/simulations.controller';
import { IntentMapVersion } from './entities/intent-map-version.entity';
import { IntentMap } from './entities/intent-map.entity';
import { MetadataField } from './entities/metadata-field.entity';
import { MetadataObject } from './entities/metadata-object.entity';
import { ActiveVersions } from './services/active-versions';
import { IntentMapsService } from './services/intent-maps.service';
import { MappingAdminService } from './services/mapping-admin.service';
import { MetadataService } from './services/metadata.service';
import { PreflightService } from './services/preflight.service';
import { SimulationsService } from './services/simulations.service';
import { WritePlansService } from './services/write-plans.service';

/**
 * Intent maps: field metadata from the org's describe calls, maps validated at save, auto-map, simulations,
 * and the write plan. Every write and simulation is planned by `WritePlansService.plan`; nothing else leaves
 * this module.
 */
@Module({
  imports: [
    // The default region of caller numbers: the planner reads the phone as the write path does.
    ConfigModule.forFeature(writesConfig),
    TypeOrmModule.forFeature([MetadataObject, MetadataField, IntentMap, IntentMapVersion]),
    SalesforceModule,
  ],
  controllers: [MetadataController, MappingsController, SimulationsController, PreflightController],
  providers: [
    MetadataService,
    IntentMapsService,
    ActiveVersions,
    MappingAdminService,
    SimulationsService,
    WritePlansService,
    PreflightService,
  ],
  exports: [WritePlansService],
})
export class MappingModule {}
