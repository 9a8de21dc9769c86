import { readFileSync } from 'node:fs';
import { createCanvas, loadImage } from 'canvas';

/** Decodes a PNG file and measures how much is drawn on it. */
export async function pngStats(path: string): Promise<{ width: number; height: number; colors: number; nonWhite: number }> {
  const img = await loadImage(readFileSync(path));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  const colors = new Set<number>();
  let nonWhite = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    colors.add((r << 16) | (g << 8) | b);
    if (a > 0 && (r < 245 || g < 245 || b < 245)) nonWhite++;
  }
  return { width: img.width, height: img.height, colors: colors.size, nonWhite: nonWhite / (img.width * img.height) };
}

/** Whether every pixel is opaque (a white background, not a transparent one). */
export async function isOpaque(path: string): Promise<boolean> {
  const img = await loadImage(readFileSync(path));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
  return true;
}
