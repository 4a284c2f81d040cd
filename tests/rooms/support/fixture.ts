import type { Connection } from "../../../lib/graph";
import type { RoomMailboxInputs } from "../../../components/rooms/mailbox-provider";
import { buildRoomMailboxPayload } from "../../../components/rooms/payload";
import type { RoomDefinition } from "../../../components/rooms/definition";
import { localConnection } from "../../support/connection";
import { ExchangeFake, registerExchangeRoutes } from "../../support/graph-routes/exchange";
import { registerPlacesRoutes } from "../../support/graph-routes/places";
import { GraphServer, startGraphServer } from "../../support/graph-server";
import { FakeSku, registerAccountRoutes } from "./account-routes";

/** Fast polling so replication-lag tests stay well under a second. */
export const FAST_POLL = { attempts: 5, startingDelayMs: 1 };

export interface RoomsServer {
  readonly server: GraphServer;
  readonly exchange: ExchangeFake;
  readonly connection: Connection;
  readonly skus: FakeSku[];
  stop(): Promise<void>;
}

export const SKU_PRO = "6af4b3d6-14bb-4a2a-960c-6c902aad34f3";
export const SKU_PHONE = "e43b5b99-8dfb-405f-9987-dc307f34bcbd";

export async function startRoomsServer(): Promise<RoomsServer> {
  const server = await startGraphServer();
  const exchange = registerExchangeRoutes(server);
  registerPlacesRoutes(server);
  const skus: FakeSku[] = [
    { skuId: SKU_PRO, skuPartNumber: "Microsoft_Teams_Rooms_Pro", prepaidUnits: { enabled: 2 }, consumedUnits: 0 },
    { skuId: SKU_PHONE, skuPartNumber: "MCOEV", prepaidUnits: { enabled: 10 }, consumedUnits: 0 },
  ];
  registerAccountRoutes(server, skus);
  const local = localConnection(server);
  return {
    server,
    exchange,
    connection: local.connection,
    skus,
    stop: async () => {
      local.restore();
      await server.close();
    },
  };
}

export function thames(overrides: Partial<RoomDefinition> = {}): RoomDefinition {
  return {
    name: "room-london-thames",
    displayName: "London – Thames (8)",
    address: "thames@contoso.com",
    mailTip: "Book at least a day ahead.",
    calendar: { bookingWindowInDays: 90, maximumDurationInMinutes: 240 },
    place: { capacity: 8, building: "London HQ", floorNumber: 3, tags: ["whiteboard", "accessible"] },
    ...overrides,
  };
}

export function inputsFor(rooms: RoomsServer, room: RoomDefinition): RoomMailboxInputs {
  return { ...buildRoomMailboxPayload(room), connection: rooms.connection, exchangeUrl: rooms.server.url, poll: FAST_POLL };
}
