export * from "./definition";
export { validateRoom, validateRoomList, validateRoomSet, LIMITS } from "./validate";
export * from "./payload";
export { RoomMailbox, RoomMailboxArgs } from "./room-mailbox";
export { RoomList, RoomListArgs } from "./room-list";
export { RoomSet, RoomSetArgs } from "./room-set";
export { declareRooms, DeclaredRooms } from "./declare";
