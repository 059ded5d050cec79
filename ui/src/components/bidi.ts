// Direction for text people typed or the server sent. `dir="auto"` takes the direction of
// the first letter, which is right for names and messages in any script; a phone number has
// no letter, so in the Arabic UI it would inherit right-to-left and show "+966 50…" as
// "…50 966+". Numbers always read left to right.
const PHONE_LIKE = /^[\s+\d•·().-]+$/;

export function userTextDir(text: string): "ltr" | "auto" {
  return PHONE_LIKE.test(text) && /\d/.test(text) ? "ltr" : "auto";
}
