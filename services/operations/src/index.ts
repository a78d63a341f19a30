export { composeOperations, type OperationsDeps } from './compose-operations';
export { processMaintenance, type MaintenanceDeps } from './maintenance.processor';
export { maintenanceSchedule, registerSchedules } from './schedules';
export { redriveJobs, redriveIntervalMs } from './tasks/redrive-jobs';
export { scheduleSyncs } from './tasks/schedule-syncs';
export { refreshRollups } from './tasks/refresh-rollups';
