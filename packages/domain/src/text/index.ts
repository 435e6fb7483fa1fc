export {
  findUnsafeCharacter,
  hasUnstorableCharacter,
  INVISIBLE_CHARACTERS,
  isBlankText,
  replaceUnstorable,
  stripInvisible,
  stripUnstorable,
  type UnsafeCharacter,
  USER_TEXT_ISSUES,
  type UserTextOptions,
  userText,
} from './user-text';
