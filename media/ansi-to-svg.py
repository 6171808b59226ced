# Converts `tmux capture-pane -p -e` output to an SVG: python3 media/ansi-to-svg.py capture.ansi out.svg COLUMNS
import re, sys, html
text = open(sys.argv[1], encoding='utf-8').read().rstrip('\n')
lines = text.split('\n')
# trim trailing empty lines
while lines and not re.sub(r'\x1b\[[0-9;]*m', '', lines[-1]).strip():
    lines.pop()
cols = int(sys.argv[3]) if len(sys.argv) > 3 else 110
palette = {30:'#1e1e1e',31:'#f14c4c',32:'#23d18b',33:'#f5f543',34:'#3b8eea',35:'#d670d6',36:'#29b8db',37:'#e5e5e5',
           90:'#808080',91:'#f14c4c',92:'#23d18b',93:'#f5f543',94:'#3b8eea',95:'#d670d6',96:'#29b8db',97:'#ffffff'}
fg_default, bg_default = '#d4d4d4', '#1e1e1e'
cw, ch = 8.4, 18
out = []
W = cols * cw + 20
H = len(lines) * ch + 20
out.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W:.0f}" height="{H:.0f}" viewBox="0 0 {W:.0f} {H:.0f}">')
out.append(f'<rect width="100%" height="100%" rx="6" fill="{bg_default}"/>')
out.append('<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14" xml:space="preserve">')
for y, line in enumerate(lines):
    state = {'fg': None, 'bg': None, 'bold': False, 'dim': False, 'inv': False}
    x = 0
    parts = re.split(r'(\x1b\[[0-9;]*m)', line)
    for part in parts:
        if not part:
            continue
        m = re.fullmatch(r'\x1b\[([0-9;]*)m', part)
        if m:
            codes = [int(c) if c else 0 for c in m.group(1).split(';')]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0: state = {'fg': None, 'bg': None, 'bold': False, 'dim': False, 'inv': False}
                elif c == 1: state['bold'] = True
                elif c == 2: state['dim'] = True
                elif c == 22: state['bold'] = False; state['dim'] = False
                elif c == 7: state['inv'] = True
                elif c == 27: state['inv'] = False
                elif c == 39: state['fg'] = None
                elif c == 49: state['bg'] = None
                elif c in palette and (30 <= c <= 37 or 90 <= c <= 97): state['fg'] = palette[c]
                elif 40 <= c <= 47: state['bg'] = palette[c - 10]
                elif c in (38, 48) and i + 2 < len(codes) and codes[i+1] == 5:
                    i += 2
                i += 1
            continue
        fg = state['fg'] or fg_default
        bg = state['bg']
        if state['inv']:
            fg, bg = (bg or bg_default), (state['fg'] or fg_default)
        n = len(part)
        px, py = 10 + x * cw, 10 + y * ch
        if bg:
            out.append(f'<rect x="{px:.1f}" y="{py:.1f}" width="{n*cw:.1f}" height="{ch}" fill="{bg}"/>')
        attrs = f'fill="{fg}"'
        if state['bold']: attrs += ' font-weight="bold"'
        if state['dim']: attrs += ' opacity="0.6"'
        out.append(f'<text x="{px:.1f}" y="{py+14:.1f}" textLength="{n*cw:.1f}" lengthAdjust="spacingAndGlyphs" {attrs}>{html.escape(part)}</text>')
        x += n
out.append('</g></svg>')
open(sys.argv[2], 'w', encoding='utf-8').write('\n'.join(out))
