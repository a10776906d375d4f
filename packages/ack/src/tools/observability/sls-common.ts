import { z } from 'zod';

/** The original's question prefix for the SLS AI tools: they need the current time to read "last hour". */
export function aiQuestion(text: string, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  return `当前时间: ${stamp}, 问题:${text}`;
}

/** The text after the AI tools' `------answer------` marker (the whole text when there is none). */
export function aiAnswer(text: string): string {
  const marker = '------answer------\n';
  const at = text.indexOf(marker);
  return (at >= 0 ? text.slice(at + marker.length) : text).trim();
}

export const NaturalText = z.string().trim().min(1).max(2000);
