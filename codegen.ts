// GraphQL Code Generator: resolver types from schema.graphql (run by `npm run codegen`).
// Mappers say which internal shape each GraphQL type is resolved from.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  silent: true,
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useIndexSignature: true,
        useTypeImports: true,
        enumsAsTypes: true,
        mapperTypeSuffix: 'Model',
        contextType: '../graphql/context#GraphQLContext',
        scalars: { Date: 'string', DateTime: 'Date', JSON: 'unknown' },
        mappers: {
          Actor: '../db/models#Actor',
          Affiliation: '../db/models#Affiliation',
          Event: '../db/models#Event',
          Participant: '../db/models#Participant',
          Shipment: '../db/models#Shipment',
          Source: './prisma/client#Source',
          Citation: '../db/models#Citation',
          Claim: './prisma/client#Claim',
          ClaimConnection: '../domain/connection#ConnectionResult<ClaimModel>',
          ClaimEdge: '../domain/connection#EdgeResult<ClaimModel>',
          ActorConnection: '../domain/connection#ConnectionResult<ActorModel>',
          EventConnection: '../domain/connection#ConnectionResult<EventModel>',
          ShipmentConnection: '../domain/connection#ConnectionResult<ShipmentModel>',
          ActorEdge: '../domain/connection#EdgeResult<ActorModel>',
          EventEdge: '../domain/connection#EdgeResult<EventModel>',
          ShipmentEdge: '../domain/connection#EdgeResult<ShipmentModel>',
          DateSpan: '../domain/dateSpan#DateSpan',
          Location: '../db/models#Event',
          ShipmentReport: '../services/reports#ShipmentReportResult',
          ShipmentBucket: '../services/reports#ShipmentBucketRow',
          ShipmentTotal: '../services/reports#ShipmentTotalRow',
          ShipmentSeries: '../services/reports#ShipmentSeriesRow',
          ReportPeriod: '../domain/periods#Period',
          EventBucket: '../services/reports#EventBucketRow',
          TimelineConnection: '../services/timeline#TimelineConnectionResult',
          TimelineEdge: '../services/timeline#TimelineEdgeResult',
          AuditEntry: './prisma/client#AuditEntry',
          Change: '../db/queries/history#ChangeRow',
          ChangeConnection: '../services/history#ChangeConnectionResult',
          ChangeEdge: '../domain/connection#EdgeResult<ChangeRowModel>',
          AuditEntryConnection: '../domain/connection#ConnectionResult<AuditEntryModel>',
          AuditEntryEdge: '../domain/connection#EdgeResult<AuditEntryModel>',
          ApiKey: '../auth/store#ApiKeyInfo',
          ApiKeyConnection: '../domain/connection#ConnectionResult<ApiKeyInfoModel>',
          ApiKeyEdge: '../domain/connection#EdgeResult<ApiKeyInfoModel>',
        },
      },
    },
  },
};

export default config;
