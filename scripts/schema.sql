-- sched production-data schema (MariaDB 10.x / MySQL 8). `sched db push` creates exactly
-- these tables when they are absent; `sched ingest` reads them. Documented in docs/database.md.
-- Tables or columns with other names: use a mapping file (--mapping), same page.
--
-- Times: DATETIME columns are UTC wall-clock times; the snapshot's hour 0 is `--start`
-- (default: the earliest release_date). Durations are hours (DECIMAL, 4 decimals).
-- Break start/end are TIME of day (00:00:00 .. 24:00:00).
--
-- No foreign keys and no uniqueness beyond primary keys, like most production tables:
-- `sched ingest` checks every reference and names each bad row (table, id, column).

-- Machines. A factory has ~40 types. calendar: NULL = the global calendar ("default").
CREATE TABLE IF NOT EXISTS `tbl_machine` (
  `id` VARCHAR(128) NOT NULL,
  `name` VARCHAR(255) NULL,
  `type` VARCHAR(128) NOT NULL,
  `calendar` VARCHAR(128) NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Jobs. due_date NULL on every job = no due dates (makespan objective);
-- release_date NULL = released at hour 0; important 0/1.
CREATE TABLE IF NOT EXISTS `ai_jobs` (
  `id` VARCHAR(128) NOT NULL,
  `due_date` DATETIME NULL,
  `release_date` DATETIME NULL,
  `important` TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Tasks: ordered by sequence within their job (no two alike); times in hours.
-- requires_all = 1: the task needs all of its machines (ai_task_machines) at once;
-- requires_all = 0: it runs on any one of them.
CREATE TABLE IF NOT EXISTS `ai_tasks` (
  `id` VARCHAR(128) NOT NULL,
  `job_id` VARCHAR(128) NOT NULL,
  `sequence` INT NOT NULL,
  `processing_time` DECIMAL(12,4) NOT NULL,
  `setup_time` DECIMAL(12,4) NOT NULL DEFAULT 0,
  `requires_all` TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  KEY `idx_ai_tasks_job` (`job_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Task-to-machine eligibility: one row per (task, machine); order of ids = order in the snapshot.
CREATE TABLE IF NOT EXISTS `ai_task_machines` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `task_id` VARCHAR(128) NOT NULL,
  `machine_id` VARCHAR(128) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_ai_task_machines_task` (`task_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Break times: weekday 1 = Monday .. 7 = Sunday (ISO; see `weekdays` in the mapping for
-- MySQL's DAYOFWEEK/WEEKDAY numbering); calendar NULL = global (every machine without its own).
CREATE TABLE IF NOT EXISTS `ai_breaktimes` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `calendar` VARCHAR(128) NULL,
  `weekday` TINYINT NOT NULL,
  `start_time` TIME NOT NULL,
  `end_time` TIME NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Holidays: no work from start_date to end_date; calendar NULL = global.
CREATE TABLE IF NOT EXISTS `ai_holidays` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `calendar` VARCHAR(128) NULL,
  `start_date` DATETIME NOT NULL,
  `end_date` DATETIME NOT NULL,
  `name` VARCHAR(255) NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
