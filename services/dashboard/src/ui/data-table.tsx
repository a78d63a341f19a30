import type { ReactNode } from 'react';
import { TableWrap } from './table-wrap';

/**
 * A column header; `hidden` ones (a row's buttons) are named for screen readers only, so every
 * header cell has text and the table stays accessible.
 */
export type Column = string | { hidden: string };

/** Every list table: scrolls on a narrow screen, has a caption and column headers; rows are the children. */
export function DataTable({ caption, columns, children }: { caption: ReactNode; columns: Column[]; children: ReactNode }) {
  return (
    <TableWrap>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) =>
              typeof column === 'string' ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.hidden} scope="col">
                  <span className="visually-hidden">{column.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableWrap>
  );
}
