// A table that stays fast with thousands of rows: TanStack Table for the columns, TanStack Virtual
// so only the rows in view are in the page. Rows can be of different heights (they are measured).
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import classes from './DataTable.module.css';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Narrowest the column may get, in pixels (default 120). */
    minWidth?: number;
    /** Share of the spare width it takes (default 1). */
    grow?: number;
  }
}

export interface DataTableProps<T> {
  data: T[];
  columns: ColumnDef<T>[];
  /** Read out by screen readers: what the rows are. */
  label: string;
  getRowId?: (row: T, index: number) => string;
  /** `data-testid` put on every body row. */
  rowTestId?: string;
  /** More `data-*` attributes for a body row, e.g. what tests and styles key on. */
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
  /** Height of the scrolling area. */
  height?: number | string;
  estimateRowHeight?: number;
  /** Shown instead of rows when there are none. */
  empty?: ReactNode;
  /** Dims the rows while newer data is on its way. */
  refreshing?: boolean;
  /** When this changes (a new page, new filters) the table scrolls back to the top. */
  scrollResetKey?: unknown;
}

export function DataTable<T>({
  data,
  columns,
  label,
  getRowId,
  rowTestId,
  rowAttributes,
  height = 480,
  estimateRowHeight = 37,
  empty = 'Nothing to show.',
  refreshing = false,
  scrollResetKey,
}: DataTableProps<T>) {
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is the documented exception; this component does not memoise around it.
  const table = useReactTable({ data, columns, getRowId, getCoreRowModel: getCoreRowModel() });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 12,
    // Lets the first rows render before the browser has measured the table (and in tests).
    initialRect: { width: 960, height: typeof height === 'number' ? height : 480 },
  });

  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [scrollResetKey]);

  const visibleColumns = table.getVisibleLeafColumns();
  const gridTemplateColumns = visibleColumns
    .map((c) => `minmax(${c.columnDef.meta?.minWidth ?? 120}px, ${c.columnDef.meta?.grow ?? 1}fr)`)
    .join(' ');
  const minWidth = visibleColumns.reduce((sum, c) => sum + (c.columnDef.meta?.minWidth ?? 120), 0);

  return (
    <div
      ref={scrollRef}
      className={`${classes.scroller} ${refreshing ? classes.refreshing : ''}`}
      style={{ height, minHeight: 240 }}
      role="table"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-busy={refreshing}
      data-testid="data-table"
    >
      <div className={classes.inner} style={{ minWidth }}>
        <div className={classes.head} role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <div key={group.id} className={classes.row} style={{ gridTemplateColumns }} role="row" aria-rowindex={1}>
              {group.headers.map((header) => (
                <div key={header.id} className={classes.headerCell} role="columnheader">
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </div>
              ))}
            </div>
          ))}
        </div>
        {rows.length === 0 ? (
          <div className={classes.empty} role="row">
            <div role="cell">{empty}</div>
          </div>
        ) : (
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <div
                  key={item.key}
                  {...rowAttributes?.(row.original)}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  data-testid={rowTestId}
                  className={`${classes.row} ${classes.bodyRow}`}
                  style={{ gridTemplateColumns, transform: `translateY(${item.start}px)` }}
                  role="row"
                  aria-rowindex={item.index + 2}
                >
                  {row.getVisibleCells().map((cell) => (
                    <div key={cell.id} className={classes.cell} role="cell">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
