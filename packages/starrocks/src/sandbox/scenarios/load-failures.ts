import type { ScenarioData } from '../types.js';
import { KAFKA_CLICKS, loadSeries, NOW } from './common.js';
import { BATCH_LOADS, healthy } from './healthy.js';

/**
 * 200 stream loads into sales.order_items in 24 h: 60 cancelled — 48 "too many filtered rows"
 * (the newest at 10:08:04) and 12 BRPC timeouts between 02:00 and 02:40.
 */
function orderItemLoads() {
  const rows = loadSeries({
    firstId: 60921,
    db: 'sales',
    table: 'order_items',
    type: 'STREAM_LOAD',
    labelPrefix: 'order_items',
    newest: '2025-06-11 10:13:04',
    count: 200,
    intervalSeconds: 431,
    durationSeconds: () => 2,
    state: (i) => (i >= 1 && i <= 48 ? 'CANCELLED' : i >= 70 && i < 82 ? 'CANCELLED' : 'FINISHED'),
    errorMsg: (i) =>
      i >= 1 && i <= 48
        ? 'too many filtered rows'
        : i >= 70 && i < 82
          ? '[E1008]Reached timeout=300000ms @10.0.1.12:8060'
          : null,
    filteredRows: (i) => (i >= 1 && i <= 48 ? 2400 + ((i * 120) % 1200) : 0),
  });
  // The newest failure, looked up by check_load_job_status.
  const newest = rows[1];
  if (newest) {
    Object.assign(newest, {
      ID: 61120,
      JOB_ID: 61120,
      LABEL: 'order_items_20250611_100804_c41d',
      CREATE_TIME: '2025-06-11 10:08:04',
      LOAD_START_TIME: '2025-06-11 10:08:04',
      LOAD_FINISH_TIME: '2025-06-11 10:08:06',
      FILTERED_ROWS: 3120,
      TRACKING_SQL: 'select tracking_log from information_schema.load_tracking_logs where job_id=61120',
    });
  }
  return rows;
}

/** Scenario 5: a paused Kafka routine load and 30 % stream-load failures. */
export const loadFailures: ScenarioData = {
  ...healthy,
  name: 'load-failures',
  description: 'Shared-nothing cluster with a PAUSED routine load and 30 % failed stream loads into sales.order_items',
  now: NOW,
  loads: [...orderItemLoads(), ...BATCH_LOADS],
  routineLoadJobs: [
    KAFKA_CLICKS,
    {
      ID: 40015,
      NAME: 'kafka_orders',
      CREATE_TIME: '2025-05-21 08:40:55',
      PAUSE_TIME: '2025-06-11 07:12:09',
      END_TIME: null,
      DB_NAME: 'sales',
      TABLE_NAME: 'orders',
      STATE: 'PAUSED',
      DATA_SOURCE_TYPE: 'KAFKA',
      CURRENT_TASK_NUM: 0,
      STATISTICS:
        '{"receivedBytes":2210044122,"errorRows":1031,"committedTaskNum":18210,"loadedRows":9120331,"loadRowsRate":0,"abortedTaskNum":41,"totalRows":9121362,"unselectedRows":0,"receivedBytesRate":0,"taskExecuteTimeMs":2712005}',
      PROGRESS: '{"0":"3040211","1":"3039987","2":"3041132"}',
      TIMESTAMP_PROGRESS: '{"0":"1749625918002","1":"1749625917881","2":"1749625918120"}',
      LATEST_SOURCE_POSITION: '{"0":"3312877","1":"3311960","2":"3313405"}',
      REASONS_OF_STATE_CHANGED: "ErrorReason{errCode = 102, msg='current error rows is more than max error num'}",
      ERROR_LOG_URLS: 'http://10.0.1.12:8040/api/_load_error_log?file=error_log_4f2a9c1e7b3d4e21_9a8b7c6d5e4f3a21',
      TRACKING_SQL: 'select tracking_log from information_schema.load_tracking_logs where job_id=40015',
      OTHER_MSG: '',
    },
  ],
};
