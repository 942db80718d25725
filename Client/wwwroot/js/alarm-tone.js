// The alarm banner's optional tone: an on/off choice kept in this browser, and a short beep.
const storageKey = 'clovers.alarmTone';
let audio;

export function isEnabled() {
  try {
    return localStorage.getItem(storageKey) === 'on';
  } catch {
    return false;
  }
}

export function setEnabled(enabled) {
  try {
    localStorage.setItem(storageKey, enabled ? 'on' : 'off');
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}

export async function beep() {
  audio ??= new AudioContext();
  if (audio.state === 'suspended') {
    await audio.resume();
  }

  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = 'square';
  oscillator.frequency.value = 880;
  gain.gain.value = 0.15;
  oscillator.connect(gain).connect(audio.destination);
  const start = audio.currentTime;
  oscillator.start(start);
  oscillator.stop(start + 0.3);
}

export async function dispose() {
  const closing = audio;
  audio = undefined;
  await closing?.close();
}
