import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { TranscriptAction } from "./TranscriptAction";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

describe("Transcript", () => {
  it("saves the transcript with or without notes, in the user's time zone, and says where", async () => {
    mockCommands({ save_transcript: ({ conversation_id }) => `/home/sara/Downloads/transcript-conversation-${conversation_id}.html` });
    const user = userEvent.setup();
    render(<TranscriptAction conversationId={99} />);
    await user.click(screen.getByLabelText("Include internal notes"));
    await user.click(screen.getByRole("button", { name: "Save transcript" }));
    const saved = await screen.findByRole("status");
    expect(saved.textContent).toBe(
      "Transcript saved to /home/sara/Downloads/transcript-conversation-99.html. Open it in a browser and print it to make a PDF.",
    );
    const [request] = callsOf("save_transcript");
    expect(request).toEqual({ conversation_id: 99, include_notes: false, time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  });

  it("says why it could not be saved", async () => {
    mockCommands({ save_transcript: () => Promise.reject({ code: "unreachable", message: "The server cannot be reached." }) });
    const user = userEvent.setup();
    render(<TranscriptAction conversationId={4} />);
    await user.click(screen.getByRole("button", { name: "Save transcript" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The transcript could not be saved: The server cannot be reached.");
    expect(callsOf("save_transcript")[0]!.include_notes).toBe(true);
  });
});
