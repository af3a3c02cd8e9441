/**
 * The `.visually-hidden` rule the elements share: content for screen readers
 * (a keyboard hint, a data table behind a chart) that takes no space on screen.
 * Interpolate it into an element's `css` block.
 */
import { css } from 'lit';

export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
