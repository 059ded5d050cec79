import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { SettingsPanel } from "./SettingsPanel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

function renderPanel(hub = new DesktopEventHub()) {
  render(
    <DesktopEventsProvider hub={hub}>
      <SettingsPanel onClose={() => {}} onSignedOut={() => {}} />
    </DesktopEventsProvider>,
  );
  return hub;
}

describe("SettingsPanel", () => {
  it("shows the desk's settings and saves each change", async () => {
    mockCommands({
      desk_settings: () => ({ retention_days: null, clear_on_sign_out: true, notification_sound: true, do_not_disturb: false, do_not_disturb_until: null }),
      save_desk_settings: (s) => s,
    });
    const user = userEvent.setup();
    renderPanel();
    const retention = await screen.findByLabelText<HTMLSelectElement>("Keep messages on this computer");
    expect(retention.value).toBe("forever");
    await user.selectOptions(retention, "90");
    expect(callsOf("save_desk_settings")).toEqual([{ retention_days: 90, clear_on_sign_out: true, notification_sound: true, do_not_disturb: false, do_not_disturb_until: null }]);
    await user.click(screen.getByLabelText(/when signing out/));
    expect(callsOf("save_desk_settings").at(-1)).toEqual({ retention_days: 90, clear_on_sign_out: false, notification_sound: true, do_not_disturb: false, do_not_disturb_until: null });
    expect(await screen.findByText("Saved.")).toBeTruthy();
  });

  it("keeps the old value and says why when saving fails", async () => {
    mockCommands({
      desk_settings: () => ({ retention_days: 30, clear_on_sign_out: true, notification_sound: true, do_not_disturb: false, do_not_disturb_until: null }),
      save_desk_settings: () => {
        throw { code: "storage", message: "disk full" };
      },
    });
    const user = userEvent.setup();
    renderPanel();
    const retention = await screen.findByLabelText<HTMLSelectElement>("Keep messages on this computer");
    await user.selectOptions(retention, "forever");
    expect((await screen.findByRole("alert")).textContent).toContain("disk full");
    expect(retention.value).toBe("30");
  });

  it("turns the notification sound off and follows changes made elsewhere", async () => {
    const settings = { retention_days: null, clear_on_sign_out: true, notification_sound: true, do_not_disturb: false, do_not_disturb_until: null };
    mockCommands({ desk_settings: () => settings, save_desk_settings: (s) => s });
    const user = userEvent.setup();
    const hub = renderPanel();
    const sound = await screen.findByLabelText<HTMLInputElement>("Play a sound with notifications");
    expect(sound.checked).toBe(true);
    await user.click(sound);
    expect(callsOf("save_desk_settings").at(-1)).toEqual({ ...settings, notification_sound: false });
    expect(sound.checked).toBe(false);

    // Do not disturb set from the tray reaches the panel without overwriting the sound choice.
    act(() => hub.emit({ type: "desk_settings_changed", settings: { ...settings, notification_sound: false, do_not_disturb: true } }));
    await user.selectOptions(screen.getByLabelText("Keep messages on this computer"), "30");
    expect(callsOf("save_desk_settings").at(-1)).toEqual({
      ...settings,
      retention_days: 30,
      notification_sound: false,
      do_not_disturb: true,
    });
  });
});
