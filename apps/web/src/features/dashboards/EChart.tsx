import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

// Only what the dashboards draw: bars and lines with a target line, on canvas. This module is
// imported by the dashboards page alone, so the rest of the app does not load ECharts.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type EChartOption = echarts.EChartsCoreOption;
export type EChartHandle = { pngDataUrl(): string | null };

type Props = {
  option: EChartOption;
  height: number;
  /** A click on a bar or a point: its index in the category axis, and its series'. */
  onClickIndex?: (index: number, seriesIndex: number) => void;
  'data-testid'?: string;
};

/** One ECharts instance in a div: created once, its option replaced, resized with the div, disposed. */
export const EChart = forwardRef<EChartHandle, Props>(function EChart(
  { option, height, onClickIndex, 'data-testid': testId },
  ref,
) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(onClickIndex);
  onClick.current = onClickIndex;

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current);
    chart.current = instance;
    instance.on('click', (parameters) => {
      if (typeof parameters.dataIndex === 'number')
        onClick.current?.(parameters.dataIndex, parameters.seriesIndex ?? 0);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useImperativeHandle(ref, () => ({
    pngDataUrl: () =>
      chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? null,
  }));

  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} />;
});
