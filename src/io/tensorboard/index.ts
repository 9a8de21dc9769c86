export { EventWriter, type EventWriterOptions } from './writer.js';
export { readEvents, readEventDir, listEventFiles, type ScalarEvent, type EventFileContents, type ReadEventsOptions } from './reader.js';
export { crc32c, maskCrc, maskedCrc32c } from './crc32c.js';
export { FILE_VERSION } from './event.js';
