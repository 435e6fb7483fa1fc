export { byLoad, type RecycleDays, resolveRecycleDays, roundRobin } from './distribute';
