/**
 * Plot options for a chart with labels beside its bars: the two side margins, and a width that always leaves
 * `minPlot` px between them. The page's reactive `width` can be 0 for a frame while it lays out; without the floor
 * Plot would draw bars of negative width.
 */
export function framed(width: number, margins: { marginLeft: number; marginRight: number }, minPlot = 120): { width: number; marginLeft: number; marginRight: number } {
  return { width: Math.max(width, margins.marginLeft + margins.marginRight + minPlot), ...margins };
}
