import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { SettingsPanel } from "./SettingsPanel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

describe("SettingsPanel", () => {
  it("shows the desk's settings and saves each change", async () => {
    mockCommands({
      desk_settings: () => ({ retention_days: null, clear_on_sign_out: true }),
      save_desk_settings: (s) => s,
    });
    const user = userEvent.setup();
    render(<SettingsPanel onClose={() => {}} />);
    const retention = await screen.findByLabelText<HTMLSelectElement>("Keep messages on this computer");
    expect(retention.value).toBe("forever");
    await user.selectOptions(retention, "90");
    expect(callsOf("save_desk_settings")).toEqual([{ retention_days: 90, clear_on_sign_out: true }]);
    await user.click(screen.getByLabelText(/when signing out/));
    expect(callsOf("save_desk_settings").at(-1)).toEqual({ retention_days: 90, clear_on_sign_out: false });
    expect(await screen.findByText("Saved.")).toBeTruthy();
  });

  it("keeps the old value and says why when saving fails", async () => {
    mockCommands({
      desk_settings: () => ({ retention_days: 30, clear_on_sign_out: true }),
      save_desk_settings: () => {
        throw { code: "storage", message: "disk full" };
      },
    });
    const user = userEvent.setup();
    render(<SettingsPanel onClose={() => {}} />);
    const retention = await screen.findByLabelText<HTMLSelectElement>("Keep messages on this computer");
    await user.selectOptions(retention, "forever");
    expect((await screen.findByRole("alert")).textContent).toContain("disk full");
    expect(retention.value).toBe("30");
  });
});
